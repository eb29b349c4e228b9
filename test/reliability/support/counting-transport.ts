/**
 * An `HttpTransport` that passes every request to the real Node transport and counts the ones
 * in flight, so the time driver knows when the app waits on the network and when on a timer.
 * It changes nothing about a request or its result.
 */

import type { HttpRequest, HttpResponse, HttpTransport } from '../../../main/core/ports.ts';

export interface TransportObserver {
  /** Called after each request settles; `error` is the rejection, or null for a response. */
  onSettled?(request: HttpRequest, error: unknown): void;
}

export class CountingTransport implements HttpTransport {
  inFlight = 0;
  sent = 0;
  observer: TransportObserver = {};

  constructor(private readonly inner: HttpTransport) {}

  async send(request: HttpRequest): Promise<HttpResponse> {
    this.inFlight += 1;
    this.sent += 1;
    try {
      const response = await this.inner.send(request);
      this.observer.onSettled?.(request, null);
      return response;
    } catch (error) {
      this.observer.onSettled?.(request, error);
      throw error;
    } finally {
      this.inFlight -= 1;
    }
  }

  describeProxy(): string | null {
    return this.inner.describeProxy();
  }
}
