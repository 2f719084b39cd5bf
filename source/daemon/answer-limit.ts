import type http from 'node:http';

/**
 * The largest single answer read from a daemon. A real dockerd's biggest answer here is the
 * container list: about 1.5 KiB a container, so 10,000 containers fit with room to spare.
 * A daemon inside a container is untrusted: without a limit it could make us buffer and parse
 * gigabytes (docker-modem concatenates the whole body before JSON.parse).
 */
export const maxAnswerBytes = 16 * 1024 * 1024;

/** A daemon answered with more than the limit: it is dropped, not parsed. */
export class AnswerTooLargeError extends Error {
	readonly code = 'ANSWER_TOO_LARGE';
	constructor(limit: number) {
		super(`answer larger than ${Math.round(limit / 1024 / 1024)} MiB (refused)`);
		this.name = 'AnswerTooLargeError';
	}
}

/**
 * Make an agent end every request whose answer grows past `limit` bytes. Only for agents
 * that carry plain requests: event, log and attach streams are endless by design and go
 * through agents of their own.
 */
export function limitAnswers<A extends http.Agent>(agent: A, limit = maxAnswerBytes): A {
	quietInspect(agent);
	const addRequest = (agent as unknown as {addRequest: (request: http.ClientRequest, options: unknown) => void}).addRequest.bind(agent);
	(agent as unknown as {addRequest: typeof addRequest}).addRequest = (request, options) => {
		request.once('response', (response: http.IncomingMessage) => {
			// Counted where the parser pushes the body in: a 'data' listener would start the
			// stream flowing before its reader (an archive read with for await) is there.
			let received = 0;
			const push = response.push.bind(response);
			response.push = (chunk: Buffer | null, encoding?: BufferEncoding) => {
				if (chunk) received += chunk.length;
				if (received > limit) {
					request.destroy(new AnswerTooLargeError(limit));
					return false;
				}
				return push(chunk, encoding);
			};
		});
		addRequest(request, options);
	};
	return agent;
}

/**
 * docker-modem formats every request's options with util.inspect (showHidden, no depth limit)
 * for its debug log, even with the log off; the options hold the agent, and with it every
 * queued request. An agent that inspects as one word keeps that cost flat.
 */
export function quietInspect<A extends object>(agent: A): A {
	Object.defineProperty(agent, Symbol.for('nodejs.util.inspect.custom'), {value: () => `[${agent.constructor.name}]`});
	return agent;
}
