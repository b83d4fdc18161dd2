// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/**", "node_modules/**", "examples/**/node_modules/**", ".pulumi/**", ".state/**", "coverage/**"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
            // The dynamic-provider shim must `require` the provider at call time (see sdk/shim.ts).
            "@typescript-eslint/no-require-imports": "off",
            // Prettier wraps code at 140 columns; this catches the comments and code it cannot wrap.
            "max-len": [
                "error",
                { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
            ],
        },
    },
);
