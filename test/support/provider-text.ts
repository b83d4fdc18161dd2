/** What Pulumi's closure serializer writes for `() => provider` when `provider` is the module at `subpath`. */
export function providerTextOf(subpath: string): string {
    return [
        "exports.handler = __f0;",
        `const provider = require("${subpath}");`,
        "",
        "function __f0() {",
        "  return (function() {",
        "    with({ this: undefined, arguments: undefined }) {",
        "",
        "return () => provider;",
        "",
        "    }",
        "  }).apply(undefined, undefined).apply(this, arguments);",
        "}",
        "",
    ].join("\n");
}
