// Names that can be written after a `.` in generated code.

const legalName = /^[a-zA-Z_][0-9a-zA-Z_]*$/;

export function isLegalMemberName(name: string): boolean {
    return legalName.test(name);
}
