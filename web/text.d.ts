/** esbuild's text loader (scripts/build-web.mjs): a bundled YAML file is its text. */
declare module '*.yaml' {
  const text: string;
  export default text;
}
