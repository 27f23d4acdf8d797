export type Api = ((...args: unknown[]) => void) & {
    version: number;
    key: number;
    async: unknown;
};
/** Lets `replace` swap or wrap the implementation of API `name` that the client picked. */
export declare function replaceApi(client: object, name: string, replace: (api: Api) => Api): void;
