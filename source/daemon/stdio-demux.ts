/**
 * Splits Docker's multiplexed attach/exec stream (Tty false): every frame has an 8-byte
 * header (byte 0: 1 stdout, 2 stderr; bytes 1-3 zero; bytes 4-7: big-endian payload length).
 * Frames do not line up with chunks. Payload bytes are handed on as they arrive (pieces of the
 * chunk, not copies): only a partial header (at most 7 bytes) is kept between chunks, so a
 * header that announces gigabytes costs nothing, and many tiny chunks cost linear time.
 */

/**
 * The largest frame accepted. dockerd writes one frame per read of a process's output (32 KiB)
 * or per log message (1 MB at most): a header announcing more is an attacker's, or not a header.
 */
export const maxFrameBytes = 16 * 1024 * 1024;

/** Why a stream was refused: its frames cannot be read, or it stopped where it had to go on. */
export class StreamRefusedError extends Error {
	constructor(
		message: string,
		readonly reason: 'too-large' | 'not-multiplexed' | 'stalled',
	) {
		super(message);
		this.name = 'StreamRefusedError';
	}
}

export interface DemuxOptions {
	/** A frame announced larger than this refuses the stream. */
	maxFrameBytes?: number;
	/**
	 * For a stream that must progress (a probe that should finish): refused after this long
	 * without a byte. Off by default: an idle `logs -f` or an interactive exec waits for ever.
	 */
	stallMs?: number;
	/** Called once; nothing more is read after it. The owner closes the stream. */
	onRefuse?: (error: StreamRefusedError) => void;
}

const mib = (bytes: number) => Math.round(bytes / 1024 / 1024);

export class StdioDemuxer {
	private readonly header = Buffer.alloc(8);
	private headerBytes = 0;
	/** Payload bytes of the current frame still to come, and whose they are. */
	private remaining = 0;
	private toStderr = false;
	private refusal: StreamRefusedError | undefined;
	private stopped = false;
	private stallTimer: NodeJS.Timeout | undefined;
	private readonly limit: number;

	constructor(
		private readonly onStdout: (chunk: Buffer) => void,
		private readonly onStderr: (chunk: Buffer) => void,
		private readonly options: DemuxOptions = {},
	) {
		this.limit = options.maxFrameBytes ?? maxFrameBytes;
		this.armStallClock();
	}

	push(chunk: Buffer): void {
		if (this.refusal || this.stopped) return;
		this.armStallClock();
		let offset = 0;
		while (offset < chunk.length) {
			if (this.remaining === 0) {
				const take = Math.min(8 - this.headerBytes, chunk.length - offset);
				chunk.copy(this.header, this.headerBytes, offset, offset + take);
				this.headerBytes += take;
				offset += take;
				if (this.headerBytes < 8) return;
				this.headerBytes = 0;
				if (!this.startFrame()) return;
				continue;
			}
			const end = Math.min(chunk.length, offset + this.remaining);
			const payload = chunk.subarray(offset, end);
			this.remaining -= payload.length;
			offset = end;
			if (this.toStderr) this.onStderr(payload);
			else this.onStdout(payload);
			if (this.refusal || this.stopped) return; // a callback may have ended the stream
		}
	}

	/** The stream ended or was closed: no stall deadline any more. */
	stop(): void {
		clearTimeout(this.stallTimer);
		this.stallTimer = undefined;
		this.stopped = true;
	}

	/** Bytes held between chunks (a partial header): never more than 7. */
	get buffered(): number {
		return this.headerBytes;
	}

	/** The stream stopped inside a frame (a partial header, or payload still announced). */
	get midFrame(): boolean {
		return this.headerBytes > 0 || this.remaining > 0;
	}

	private startFrame(): boolean {
		const type = this.header[0]!;
		const length = this.header.readUInt32BE(4);
		// Byte 0 is 0 stdin (echo), 1 stdout, 2 stderr or 3 (Docker's own error, in-band).
		if (type > 3 || this.header[1] !== 0 || this.header[2] !== 0 || this.header[3] !== 0) {
			this.refuse(new StreamRefusedError('stream is not multiplexed (no frame header)', 'not-multiplexed'));
			return false;
		}
		if (length > this.limit) {
			this.refuse(new StreamRefusedError(`a stream frame of ${mib(length)} MiB announced, over ${mib(this.limit)} MiB (refused)`, 'too-large'));
			return false;
		}
		this.toStderr = type >= 2;
		this.remaining = length;
		return true;
	}

	private refuse(error: StreamRefusedError): void {
		if (this.refusal || this.stopped) return;
		this.refusal = error;
		clearTimeout(this.stallTimer);
		this.stallTimer = undefined;
		this.options.onRefuse?.(error);
	}

	private armStallClock(): void {
		const stallMs = this.options.stallMs;
		if (!stallMs || this.refusal || this.stopped) return;
		clearTimeout(this.stallTimer);
		this.stallTimer = setTimeout(() => this.refuse(new StreamRefusedError(`stream stalled (nothing for ${stallMs / 1000} s)`, 'stalled')), stallMs);
		this.stallTimer.unref();
	}
}
