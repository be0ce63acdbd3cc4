// npm run course (or course -- serve): the lesson site on this machine only
// (127.0.0.1), rebuilt when a page is asked for, so an edited lesson or a new
// test result shows on reload. Only paths the site holds are served: a request
// never reaches the file system, so nothing else on the machine is exposed.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { posix } from 'node:path';
import { CourseUsageError, type Course } from '../course/course-root.ts';
import { buildSite } from './build-site.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp',
};

export interface SiteServer {
  url: string;
  close(): Promise<void>;
}

/** The site path a URL asks for: "/" is the front page, "/lessons/" its index.html. */
function sitePath(url: string): string {
  const path = decodeURIComponent(new URL(url, 'http://localhost').pathname).replace(/^\/+/, '');
  return path === '' || path.endsWith('/') ? `${path}index.html` : path;
}

/** A page and its stylesheet arrive together: one build serves a burst of requests. */
const REBUILD_AFTER_MS = 1000;

export function startSiteServer(course: Course, port: number): Promise<SiteServer> {
  let built = { at: -Infinity, site: new Map<string, string | Buffer>() };
  const currentSite = () => {
    if (performance.now() - built.at > REBUILD_AFTER_MS)
      built = { at: performance.now(), site: buildSite(course) };
    return built.site;
  };
  const server: Server = createServer((request, response) => {
    try {
      const path = sitePath(request.url ?? '/');
      const contents = currentSite().get(path);
      if (contents === undefined) {
        response
          .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
          .end(`${path} is not a page of the course`);
        return;
      }
      response
        .writeHead(200, {
          'content-type': TYPES[posix.extname(path)] ?? 'application/octet-stream',
          'cache-control': 'no-store',
        })
        .end(contents);
    } catch (error) {
      // A lesson that cannot be read or rendered: say why in the browser, keep serving.
      response
        .writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`the site could not be built: ${(error as Error).stack}`);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CourseUsageError(
              `port ${port} is in use: choose another with --port, or leave --port out for a free one`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => {
      const { port: chosen } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${chosen}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}

/** Serves until Ctrl-C. */
export async function serveSite(course: Course, port: number): Promise<void> {
  const site = await startSiteServer(course, port);
  console.log(`The lessons are at ${site.url}  (this machine only; Ctrl-C to stop)`);
  console.log(
    'Your progress there comes from `npm run course -- status`, `verify` and `watch`: reload after a run.',
  );
  await new Promise<void>((resolve) => process.once('SIGINT', resolve));
  await site.close();
}
