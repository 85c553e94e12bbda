// Bun's `with { type: "file" }` import of the vendored font gives its path (embedded when compiled).
declare module "*.psf.gz" {
  const path: string;
  export default path;
}
