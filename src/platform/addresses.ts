/** Where the server listens and what clients are handed: known once the HTTP server listens, read by parts built before. */
import { publicUrls, type PublicUrls } from '../api/public-url.js';
import type { HttpServer } from '../api/http-server.js';

export class Addresses {
  /** Base URL of the AWS-compatible APIs as clients are handed it (`--public-url`). */
  url = '';
  /** The listen address, for environments calling back. */
  listenUrl = '';
  /** The TLS listener's base URL, if the server serves TLS. */
  tlsUrl: string | undefined;
  /** The port functions call back on for WebSocket connections: the TLS port, if any. */
  callbackPort = 0;
  private urls: PublicUrls | undefined;

  /** Front door names under the public host; only once listening. */
  get public(): PublicUrls {
    return this.urls!;
  }

  /** Records where the server listens; returns the TLS URL, if it serves TLS. */
  listening(http: Pick<HttpServer, 'port' | 'tlsPort'>, host: string, publicUrl: string | undefined, region: string): string | undefined {
    this.callbackPort = http.tlsPort ?? http.port;
    const publicHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
    const hostPart = publicHost.includes(':') ? `[${publicHost}]` : publicHost;
    this.listenUrl = `http://${hostPart}:${http.port}`;
    this.urls = publicUrls(publicUrl, this.listenUrl, region);
    this.url = this.urls.base;
    this.tlsUrl = http.tlsPort === undefined ? undefined : `https://${hostPart}:${http.tlsPort}`;
    return this.tlsUrl;
  }
}
