/** Raised when this machine lacks what a local broker needs; the message says how to get it. */
export declare class MissingPrerequisiteError extends Error {
    name: string;
}
export declare function javaExecutable(): string;
export declare function mavenExecutable(): string;
/** Null when java (17+) and Maven are both usable, else a one-line reason. */
export declare function missingPrerequisite(): string | null;
