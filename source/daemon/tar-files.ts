/**
 * The regular files of a tar archive (what GET /containers/{id}/archive returns), by name.
 * Small archives only (a certificate directory): the whole archive is in memory.
 */
export function tarFiles(archive: Buffer): Map<string, Buffer> {
	const files = new Map<string, Buffer>();
	let offset = 0;
	while (offset + 512 <= archive.length) {
		const header = archive.subarray(offset, offset + 512);
		if (header.every((byte) => byte === 0)) break;
		const field = (start: number, length: number) =>
			header
				.subarray(start, start + length)
				.toString('utf8')
				.replace(/\0.*$/s, '');
		const name = field(0, 100);
		const prefix = field(345, 155);
		const size = Number.parseInt(field(124, 12).trim() || '0', 8);
		const type = field(156, 1);
		const body = archive.subarray(offset + 512, offset + 512 + size);
		if (type === '0' || type === '') files.set(prefix ? `${prefix}/${name}` : name, Buffer.from(body));
		offset += 512 + Math.ceil(size / 512) * 512;
	}
	return files;
}
