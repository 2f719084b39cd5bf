import {TimeoutError} from '../errors.js';
import {TunnelError} from './exec-tunnel.js';

/**
 * Why a daemon could not be reached, in a few words a user can act on. Node and docker-modem
 * errors carry codes and HTTP statuses; those become "connection refused", "timeout", ...
 */
export function unreachableReason(error: unknown): string {
	if (error instanceof TimeoutError) return 'timeout (the daemon does not answer)';
	if (error instanceof TunnelError) return error.message;
	const failure = error as {code?: string; statusCode?: number; message?: string; address?: string; json?: {message?: string}};
	const where = failure.address ? ` ${failure.address}` : '';
	switch (failure.code) {
		case 'ENOENT':
			return `no socket at${where || ' that path'} (is dockerd running?)`;
		case 'EACCES':
		case 'EPERM':
			return `permission denied on${where || ' the socket'} (join the docker group or use sudo)`;
		case 'ECONNREFUSED':
			return `connection refused${where}`;
		case 'ECONNRESET':
		case 'EPIPE':
			return 'connection reset';
		case 'ETIMEDOUT':
		case 'ESOCKETTIMEDOUT':
			return 'timeout (the daemon does not answer)';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return `host not found${failure.message ? ` (${failure.message.replace(/^getaddrinfo \w+ /, '')})` : ''}`;
		case 'EHOSTUNREACH':
		case 'ENETUNREACH':
			return 'host unreachable';
		case 'ABORT_ERR':
			return 'timeout (the daemon does not answer)';
	}
	if (failure.statusCode === 409 && /paused/i.test(String(failure.message))) return 'container paused';
	if (failure.statusCode === 409 || failure.statusCode === 500) {
		const text = failure.json?.message ?? failure.message ?? '';
		if (/is not running|is paused|is restarting/i.test(text)) return text.replace(/^.*?(Container [0-9a-f]+ )/i, 'container ');
	}
	const message = failure.message ?? String(error);
	if (/socket hang up/i.test(message)) return 'connection closed by the daemon';
	if (/timeout/i.test(message)) return 'timeout (the daemon does not answer)';
	return message.replace(/^\(HTTP code \d+\)\s*[\w ]*-\s*/, '').trim();
}
