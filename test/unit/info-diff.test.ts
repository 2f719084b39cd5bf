import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {diffInfo, diffJson, flattenInfo, type DaemonReport} from '../../source/daemon/info-diff.js';

const reports = JSON.parse(readFileSync(new URL('../fixtures/lab-reports.json', import.meta.url), 'utf8')) as Record<'host' | 'dind-a', DaemonReport>;
const {host, 'dind-a': dind} = reports;

describe('docker info diff on the lab', () => {
	it('reports the "(containerized)" OS with its explanation and the shared kernel', () => {
		const diff = diffInfo(host, dind);
		const os = diff.different.find((row) => row.field === 'OperatingSystem');
		expect(os?.b).toContain('(containerized)');
		expect(os?.note).toContain('"(containerized)"');
		expect(diff.sameKernel).toBe(true);
		expect(diff.sameDaemon).toBe(false);
		// IDs, clocks and counters differ but are not what the user asked about.
		expect(diff.different.map((row) => row.field)).not.toContain('ID');
		expect(diff.volatileDifferent.map((row) => row.field)).toEqual(expect.arrayContaining(['ID', 'SystemTime']));
	});

	it('a daemon compared with itself has no differences', () => {
		const diff = diffInfo(host, host, {components: true});
		expect(diff.different).toEqual([]);
		expect(diff.sameDaemon).toBe(true);
		expect(diffJson(diff)).toEqual({});
	});

	it('compares lists and maps by meaning, not by their order', () => {
		const info = host.info as Record<string, unknown>;
		const shuffled = {
			...info,
			SecurityOptions: [...((info.SecurityOptions as string[]) ?? []), 'name=userns'].reverse(),
			Runtimes: Object.fromEntries(Object.entries(info.Runtimes as object).reverse()),
			Plugins: {...(info.Plugins as object), Volume: [...((info.Plugins as {Volume: string[]}).Volume ?? [])].reverse()},
		};
		const diff = diffInfo(host, {info: shuffled});
		expect(diff.different.map((row) => row.field)).toEqual(['SecurityOptions']);
		expect(diff.different[0]!.note).toBe('one daemon remaps users (userns)');
	});

	it('explains the known DinD and sysbox differences', () => {
		const info = host.info as Record<string, unknown>;
		const changed = {
			...info,
			CgroupDriver: 'systemd',
			Runtimes: {...(info.Runtimes as object), 'sysbox-runc': {path: '/usr/bin/sysbox-runc'}},
			ServerVersion: '27.3.1',
			RegistryConfig: {...(info.RegistryConfig as object), Mirrors: ['https://mirror.example']},
		};
		const rows = Object.fromEntries(diffInfo({info: changed, version: {ApiVersion: '1.47'}}, dind).different.map((row) => [row.field, row]));
		expect(rows.CgroupDriver!.note).toContain('cgroupfs');
		expect(rows.Runtimes!.note).toContain('sysbox-runc');
		expect(rows.ServerVersion!.note).toContain('API 1.47 vs 1.41');
		expect(rows['RegistryConfig.Mirrors']!.note).toContain('mirrors are per daemon');
	});

	it('v adds docker version components', () => {
		const diff = diffInfo(host, dind, {components: true});
		expect(diff.equal.map((row) => row.field)).toEqual(expect.arrayContaining(['version.containerd', 'version.runc', 'version.docker-init']));
	});

	it('flattens DriverStatus pairs into fields', () => {
		expect(
			flattenInfo({
				DriverStatus: [
					['Backing Filesystem', 'extfs'],
					['Supports d_type', 'true'],
				],
			}),
		).toEqual({
			'DriverStatus.Backing Filesystem': 'extfs',
			'DriverStatus.Supports d_type': 'true',
		});
	});
});
