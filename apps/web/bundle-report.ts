import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

/** The first page may load at most this much JavaScript, gzipped (issue 10). */
const FIRST_PAGE_GOAL_KB = 350;

interface ChunkInfo {
  fileName: string;
  name: string;
  code: string;
  imports: string[];
  isEntry: boolean;
  facadeModuleId: string | null;
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/**
 * Prints, after `vite build`, what a browser loads for the first page and the largest chunk:
 * `first page JS: 290.1 KB gzip (goal ≤ 350): sign-in 280.3 KB, then the Overview 290.1 KB; largest chunk: vendor-react 120.4 KB gzip`.
 * A page's JavaScript is the entry with every chunk it imports statically (what index.html loads
 * and preloads) plus the page's own chunk and its static imports; the charts, loaded only when
 * drawn, are not part of it.
 */
export function bundleReport(pages: Record<string, RegExp>): Plugin {
  return {
    name: 'provisio-bundle-report',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<string, ChunkInfo>();
      for (const item of Object.values(bundle)) {
        if (item.type === 'chunk') chunks.set(item.fileName, item);
      }
      const gzip = new Map<string, number>();
      const sizeOf = (file: string) => {
        if (!gzip.has(file)) gzip.set(file, gzipSync(chunks.get(file)?.code ?? '', { level: 9 }).length);
        return gzip.get(file) ?? 0;
      };
      const closure = (roots: string[]) => {
        const seen = new Set<string>();
        const visit = (file: string) => {
          if (seen.has(file) || !chunks.has(file)) return;
          seen.add(file);
          for (const next of chunks.get(file)?.imports ?? []) visit(next);
        };
        roots.forEach(visit);
        return seen;
      };
      const total = (files: Set<string>) => [...files].reduce((sum, f) => sum + sizeOf(f), 0);
      const entry = [...chunks.values()].filter((c) => c.isEntry).map((c) => c.fileName);
      const loaded: string[] = [];
      const perPage = Object.entries(pages).map(([label, module]) => {
        const own = [...chunks.values()]
          .filter((c) => c.facadeModuleId !== null && module.test(c.facadeModuleId))
          .map((c) => c.fileName);
        loaded.push(...own);
        // Pages are visited in order, so each one's total includes what the pages before it loaded.
        return { label, bytes: total(closure([...entry, ...loaded])) };
      });
      const firstPage = Math.max(total(closure(entry)), ...perPage.map((p) => p.bytes));
      const largest = [...chunks.values()]
        .map((c) => ({ name: c.fileName.replace(/^assets\//, ''), bytes: sizeOf(c.fileName) }))
        .sort((a, b) => b.bytes - a.bytes)[0];
      const pagesText = perPage.map((p) => `${p.label} ${kb(p.bytes)} KB`).join(', then ');
      this.info(
        `first page JS: ${kb(firstPage)} KB gzip (goal ≤ ${FIRST_PAGE_GOAL_KB})${pagesText ? `: ${pagesText}` : ''}; ` +
          `largest chunk: ${largest?.name ?? 'none'} ${kb(largest?.bytes ?? 0)} KB gzip`,
      );
    },
  };
}
