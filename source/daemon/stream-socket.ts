import {Duplex} from 'node:stream';

/**
 * A byte stream used as an HTTP connection (an exec tunnel, an ssh process): the socket
 * methods Node's Agent and docker-modem call on a connection, over any Duplex.
 */
export abstract class StreamSocket extends Duplex {
	timeout = 0;
	private idleTimer: NodeJS.Timeout | undefined;

	/** What ref/unref act on: the stream that keeps the process alive. */
	protected abstract handle(): Partial<{ref(): void; unref(): void}> | undefined;

	/** Like net.Socket#setTimeout: 'timeout' after ms without traffic (request timeouts rely on it). */
	setTimeout(ms: number, callback?: () => void): this {
		this.timeout = ms;
		if (callback) {
			// As net.Socket: 0 removes the listener, so reused connections do not pile them up.
			if (ms === 0) this.removeListener('timeout', callback);
			else this.once('timeout', callback);
		}
		this.touch();
		return this;
	}

	setKeepAlive(): this {
		return this;
	}

	setNoDelay(): this {
		return this;
	}

	ref(): this {
		this.handle()?.ref?.();
		return this;
	}

	unref(): this {
		this.handle()?.unref?.();
		return this;
	}

	/** Traffic: the idle clock starts again. */
	protected touch(): void {
		this.stopIdleClock();
		if (this.timeout > 0 && !this.destroyed) {
			this.idleTimer = setTimeout(() => this.emit('timeout'), this.timeout);
			this.idleTimer.unref();
		}
	}

	protected stopIdleClock(): void {
		clearTimeout(this.idleTimer);
		this.idleTimer = undefined;
	}
}
