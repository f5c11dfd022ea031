// Assets: single blobs of data a resource can carry (files, text, remote content).

import { hasBrand } from "../rtti.ts";

/** A blob of text or binary data. */
export abstract class Asset {
    /** @internal */
    readonly __pulumiAsset = true;

    static isInstance(obj: unknown): obj is Asset {
        return hasBrand(obj, "__pulumiAsset");
    }
}

/** An asset whose contents are a file on the deploying machine. */
export class FileAsset extends Asset {
    /** The path to the file. */
    readonly path: Promise<string>;

    constructor(path: string | Promise<string>) {
        super();
        this.path = Promise.resolve(path);
    }
}

/** An asset whose contents are the given text. */
export class StringAsset extends Asset {
    /** The contents. */
    readonly text: Promise<string>;

    constructor(text: string | Promise<string>) {
        super();
        this.text = Promise.resolve(text);
    }
}

/** An asset fetched from a URI (`file://`, `http://` or `https://`). */
export class RemoteAsset extends Asset {
    /** The URI where the contents are fetched from. */
    readonly uri: Promise<string>;

    constructor(uri: string | Promise<string>) {
        super();
        this.uri = Promise.resolve(uri);
    }
}
