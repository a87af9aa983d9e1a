// The part of @vercel/ncc's Node API that scripts/bundle.ts uses (the package ships no types).
declare module '@vercel/ncc' {
  interface NccOptions {
    esm?: boolean;
    /** false: no persistent webpack cache (default: one under ~/.cache/ncc). */
    cache?: boolean;
    minify?: boolean;
    quiet?: boolean;
    license?: string;
    /** Also return the source maps: `map` for the main file, `<chunk>.map` assets for the chunks. */
    sourceMap?: boolean;
    /** false: do not prepend require('./sourcemap-register.js') (default true with sourceMap). */
    sourceMapRegister?: boolean;
  }
  interface NccResult {
    code: string;
    map?: string;
    assets: Record<string, { source: string | Buffer; permissions?: number }>;
  }
  export default function ncc(entry: string, options?: NccOptions): Promise<NccResult>;
}
