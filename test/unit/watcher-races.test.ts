import {readFileSync} from 'node:fs';
import {PassThrough} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import type {DaemonClient} from '../../source/daemon/client.js';
import {DaemonWatcher, type WatcherHost} from '../../source/daemon/daemon-watcher.js';
import type {TreeState} from '../../source/store/model.js';
import {createTreeStore} from '../../source/store/store.js';

/*
 * Answers from the real lab (test/fixtures/capture-lab.mjs) served in an order the test
 * chooses: the races between a read on its way and an event that overtakes it. The same
 * races happened in the soak (bench/soak.mjs), too rarely to catch on purpose there.
 */
const fixtures = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'));
const inspects = fixtures('lab-inspect.json');
const reports = fixtures('lab-reports.json');
const summary = inspects.list.find((entry: {Names: string[]}) => entry.Names[0] === '/plain-1');
const inspect = inspects['plain-1'];
const other = {...summary, Id: 'f'.repeat(64), Names: ['/late-1']};
const otherInspect = {...inspect, Id: other.Id, Name: '/late-1'};

function deferred<T>() {
	let resolve!: (value: T) => void;
	const promise = new Promise<T>((done) => (resolve = done));
	return {promise, resolve};
}

/** A daemon whose answers wait until the test releases them, when it asks for that. */
function scriptedDaemon() {
	const events = new PassThrough();
	const held: {listing?: ReturnType<typeof deferred<unknown[]>>; reads?: ReturnType<typeof deferred<void>>} = {};
	const byId = new Map([
		[summary.Id, {summary, inspect}],
		[other.Id, {summary: other, inspect: otherInspect}],
	]);
	const exists = new Set<string>([summary.Id]);
	/** What reached the daemon and what it answered: the states the tests wait for. */
	const seen = {listings: 0, reads: 0, answered: 0};
	const docker = {
		version: async () => reports.host.version,
		info: async () => ({...reports.host.info, SystemTime: new Date().toISOString()}),
		ping: async () => 'OK',
		async listContainers(options: {filters?: {id?: string[]}}) {
			const ids = options.filters?.id;
			if (ids) {
				const answer = ids.filter((id) => exists.has(id)).map((id) => byId.get(id)!.summary);
				seen.reads++;
				await held.reads?.promise;
				seen.answered++;
				return answer;
			}
			const answer = [...exists].map((id) => byId.get(id)!.summary);
			seen.listings++;
			return held.listing ? held.listing.promise.then(() => answer) : answer;
		},
		getContainer: (id: string) => ({
			async inspect() {
				const present = exists.has(id);
				seen.reads++;
				await held.reads?.promise;
				seen.answered++;
				if (!present) throw Object.assign(new Error('no such container'), {statusCode: 404});
				return byId.get(id)!.inspect;
			},
		}),
	};
	const client = {
		route: 'scripted',
		docker,
		streams: {getEvents: async () => events},
		negotiate: () => undefined,
		close: () => events.destroy(),
	} as unknown as DaemonClient;
	const event = (action: string, id: string) => {
		if (action === 'destroy') exists.delete(id);
		if (action === 'create') exists.add(id);
		events.write(`${JSON.stringify({Type: 'container', Action: action, Actor: {ID: id}, time: Math.floor(Date.now() / 1000)})}\n`);
	};
	return {client, held, event, seen};
}

function watch(client: DaemonClient) {
	const store = createTreeStore(undefined, 0);
	const host: WatcherHost = {
		maxDepth: 1,
		pingIntervalMs: 0,
		bootProbeMs: 1000,
		follow: true,
		timeoutMs: 1000,
		tunnelsOnly: true,
		dispatch: (action) => store.dispatch(action),
		track: (work) => work,
		claim: () => undefined,
		release: () => undefined,
		containers: () => [],
		report: () => undefined,
	};
	const watcher = new DaemonWatcher(host, {path: 'default', depth: 0, route: 'scripted', connect: () => ({client}), socketPaths: []});
	const names = () => {
		const state: TreeState = store.getState();
		return (state.daemons.default?.containers ?? []).map((key) => state.containers[key]?.name).sort();
	};
	return {watcher, names};
}

/** Let what an answer set off run to its end (its handlers are promise callbacks). */
const drain = () => new Promise((resolve) => setImmediate(resolve));

describe('the live model against reads that an event overtakes', () => {
	it('a container destroyed while its refresh was on its way stays gone', async () => {
		const daemon = scriptedDaemon();
		const {watcher, names} = watch(daemon.client);
		await watcher.start();
		expect(names()).toEqual(['plain-1']);
		// It stops: the refresh that asks for goes out, and its answers are held on the way.
		const {reads, answered} = daemon.seen;
		daemon.held.reads = deferred<void>();
		daemon.event('die', summary.Id);
		await vi.waitFor(() => expect(daemon.seen.reads).toBe(reads + 2)); // its listing entry and inspect
		// It is removed; the destroy event overtakes the answers.
		daemon.event('destroy', summary.Id);
		await vi.waitFor(() => expect(names()).toEqual([]));
		daemon.held.reads.resolve();
		await vi.waitFor(() => expect(daemon.seen.answered).toBe(answered + 2));
		await drain();
		expect(names()).toEqual([]);
		watcher.stop();
	});

	it('a full listing taken before some events neither brings back what they destroyed nor drops what they created', async () => {
		const daemon = scriptedDaemon();
		const {watcher, names} = watch(daemon.client);
		daemon.held.listing = deferred<unknown[]>();
		const started = watcher.start();
		await vi.waitFor(() => expect(daemon.seen.listings).toBe(1));
		// While the listing (which has plain-1 and not late-1) is on its way: plain-1 is
		// destroyed, late-1 is created and started, and late-1's refresh comes back first.
		daemon.event('destroy', summary.Id);
		daemon.event('create', other.Id);
		daemon.event('start', other.Id);
		await vi.waitFor(() => expect(daemon.seen.answered).toBe(2)); // late-1's refresh is back
		await drain();
		daemon.held.listing.resolve([]);
		await started;
		// The listing's late-1 is read again after it: wait for that read, then for its effect.
		await vi.waitFor(() => expect(daemon.seen.answered).toBe(4));
		await drain();
		expect(names()).toEqual(['late-1']);
		watcher.stop();
	});
});
