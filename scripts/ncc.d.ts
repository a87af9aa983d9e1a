// The part of @vercel/ncc's Node API that scripts/bundle.ts uses (the package ships no types).
declare module '@vercel/ncc' {
  interface NccOptions {
    esm?: boolean;
    /** false: no persistent webpack cache (default: one under ~/.cache/ncc). */
    cache?: boolean;
    minify?: boolean;
    quiet?: boolean;
    license?: string;
  }
  interface NccResult {
    code: string;
    assets: Record<string, { source: string | Buffer; permissions?: number }>;
  }
  export default function ncc(entry: string, options?: NccOptions): Promise<NccResult>;
}
