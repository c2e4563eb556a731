/**
 * Lint for Quorum: `npm run lint` (eslint . --max-warnings 0).
 *
 * Besides the usual JavaScript, TypeScript and React hooks rules, it enforces
 * the layers (eslint-plugin-boundaries):
 *   - db/ imports nothing from app/;
 *   - app/domain/ imports no component, no route, no Remix package and no React;
 *   - routes and components import neither drizzle nor db/: they call the domain;
 *   - app/web/ and server/ import no drizzle: queries live in the domain;
 *   - only app/auth/ imports lucia or @lucia-auth/* (docs/decisions/002).
 * and that every internal address is built by app/urls.ts (no hand-written `/${…}` path).
 */
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import boundaries from "eslint-plugin-boundaries";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

const LUCIA = ["lucia", "lucia/**", "@lucia-auth/**"];
const REMIX_AND_REACT = ["@remix-run/**", "react", "react/**", "react-dom", "react-dom/**"];
const DRIZZLE = ["drizzle-orm", "drizzle-orm/**"];
const BUILD_IN_URLS = "Build internal addresses with app/urls.ts (`urls.…`), never by hand: one place holds every address.";

export default defineConfig(
  {
    ignores: [
      "build/**",
      "public/build/**",
      "public/sw.js",
      "public/quorum.js",
      ".cache/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      "bench/results/**",
      "db/migrations/**",
      // Being replaced by TypeScript under server/, which is linted.
      "server.mjs",
    ],
  },
  {
    linterOptions: { reportUnusedDisableDirectives: "error" },
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ["app/service-worker/**/*.ts"],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
  },
  {
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a signature, a destructured rest).
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Off: Quorum matches control characters on purpose, to strip them from residents' text
      // and to drop NUL, which PostgreSQL refuses in text (validate.server.ts, http.server.ts).
      "no-control-regex": "off",
    },
  },

  // Every internal address comes from app/urls.ts. Tests (beside the code or under tests/) may write
  // addresses by hand: they check the public contract from outside.
  {
    files: ["app/**/*.{ts,tsx}", "server/**/*.ts"],
    ignores: ["app/urls.ts", "**/*.test.{ts,tsx}"],
    rules: {
      "no-restricted-syntax": [
        "error",
        // `/${lang}/…`, `/${x}`: a path whose first segment is a value.
        { selector: 'TemplateLiteral[quasis.0.value.raw="/"]', message: BUILD_IN_URLS },
        // "/fr/…", "/en/…", `/fr/${slug}`: a path in one language, written out.
        { selector: "Literal[value=/^\\/(fr|en)(\\/|$)/]", message: BUILD_IN_URLS },
        { selector: "TemplateLiteral[quasis.0.value.raw=/^\\/(fr|en)(\\/|$)/]", message: BUILD_IN_URLS },
      ],
    },
  },

  // The layers.
  {
    files: ["**/*.{ts,tsx,js,mjs}"],
    plugins: { boundaries },
    settings: {
      // Resolves the tsconfig aliases (~/* is app/*, #db/* is db/*) like TypeScript does.
      "import/resolver": { typescript: { project: "./tsconfig.json" } },
      // Re-exports and dynamic imports cross a layer as much as imports do.
      "boundaries/dependency-nodes": ["import", "export", "dynamic-import", "require"],
      "boundaries/elements": [
        { type: "db", pattern: "db" },
        { type: "domain", pattern: "app/domain" },
        { type: "components", pattern: "app/components" },
        { type: "routes", pattern: "app/routes" },
        { type: "auth", pattern: "app/auth" },
        { type: "web", pattern: "app/web" },
        { type: "app", pattern: "app" },
        { type: "server", pattern: "server" },
        { type: "scripts", pattern: "scripts" },
        { type: "tests", pattern: "tests" },
        { type: "bench", pattern: "bench" },
      ],
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "allow",
          // External packages too (Remix, React, lucia), not only files of the project.
          checkAllOrigins: true,
          policies: [
            {
              from: { element: { type: "db" } },
              disallow: { to: { element: { types: { anyOf: ["domain", "components", "routes", "auth", "web", "app"] } } } },
              message: "db/ is the lowest layer: it imports nothing from app/.",
            },
            {
              from: { element: { type: "domain" } },
              disallow: { to: { element: { types: { anyOf: ["components", "routes"] } } } },
              message: "app/domain/ imports no component and no route: move the shared type or code into the domain.",
            },
            {
              from: { element: { type: "domain" } },
              disallow: { to: { module: { origin: "external", source: REMIX_AND_REACT } } },
              message: "app/domain/ imports no Remix package and no React: it returns plain data, routes and components build responses and pages.",
            },
            {
              from: { element: { types: { anyOf: ["routes", "components"] } } },
              disallow: { to: { element: { type: "db" } } },
              message:
                "Routes and components do not touch the database: no #db/* or db/ import. Call a function of app/domain/ (which takes the db handle), or import the type or list it re-exports.",
            },
            {
              from: { element: { types: { anyOf: ["routes", "components", "web", "server"] } } },
              disallow: { to: { module: { origin: "external", source: DRIZZLE } } },
              message:
                "Queries live in app/domain/: routes, components, app/web/ and server/ import no drizzle-orm. Move the query into a domain function and call it.",
            },
            {
              from: { element: { type: "!auth" } },
              disallow: { to: { module: { origin: "external", source: LUCIA } } },
              message: "Only app/auth/ imports lucia (docs/decisions/002-lucia-confined-to-app-auth.md).",
            },
          ],
        },
      ],
    },
  },
);
