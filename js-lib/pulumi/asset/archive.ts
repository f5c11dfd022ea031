// Archives: collections of assets and archives a resource can carry.

import { hasBrand } from "../rtti.ts";
import type { Asset } from "./asset.ts";

/** A collection of named assets. */
export abstract class Archive {
    /** @internal */
    readonly __pulumiArchive = true;

    static isInstance(obj: unknown): obj is Archive {
        return hasBrand(obj, "__pulumiArchive");
    }
}

/** A map from names to assets or archives. */
export type AssetMap = { [name: string]: Asset | Archive };

/** An archive built from a map of assets and archives. */
export class AssetArchive extends Archive {
    /** The contents. */
    readonly assets: Promise<AssetMap>;

    constructor(assets: AssetMap | Promise<AssetMap>) {
        super();
        this.assets = Promise.resolve(assets);
    }
}

/** An archive read from a file or directory (a directory, or a .tar, .tgz, .tar.gz, .zip or .jar). */
export class FileArchive extends Archive {
    /** The path to the file or directory. */
    readonly path: Promise<string>;

    constructor(path: string | Promise<string>) {
        super();
        this.path = Promise.resolve(path);
    }
}

/** An archive fetched from a URI (`file://`, `http://` or `https://`). */
export class RemoteArchive extends Archive {
    /** The URI where the archive is fetched from. */
    readonly uri: Promise<string>;

    constructor(uri: string | Promise<string>) {
        super();
        this.uri = Promise.resolve(uri);
    }
}
