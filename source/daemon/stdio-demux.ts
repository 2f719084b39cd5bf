/**
 * Splits Docker's multiplexed attach/exec stream (Tty false): every frame has an 8-byte
 * header (byte 0: 1 stdout, 2 stderr; bytes 4-7: big-endian payload length). Frames do not
 * line up with chunks, so partial headers and payloads are carried over.
 */
export class StdioDemuxer {
	private pending: Buffer = Buffer.alloc(0);

	constructor(
		private readonly onStdout: (chunk: Buffer) => void,
		private readonly onStderr: (chunk: Buffer) => void,
	) {}

	push(chunk: Buffer): void {
		let buffer = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
		while (buffer.length >= 8) {
			const length = buffer.readUInt32BE(4);
			if (buffer.length < 8 + length) break;
			const payload = buffer.subarray(8, 8 + length);
			if (buffer[0] === 2) this.onStderr(payload);
			else this.onStdout(payload); // 0 (stdin echo) and 1 both count as output
			buffer = buffer.subarray(8 + length);
		}
		this.pending = buffer.length > 0 ? Buffer.from(buffer) : Buffer.alloc(0);
	}

	/** Bytes of an incomplete frame left when the stream ended. */
	get leftover(): number {
		return this.pending.length;
	}
}
