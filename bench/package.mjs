#!/usr/bin/env node
// What a user downloads: the packed tarball's size, what `npm install --omit=dev` of it pulls
// into an empty directory with an empty npm cache (packages, bytes, seconds), and a cold
// `npx -y ./dockerception-*.tgz --version`. Run after `npm run build`. Needs the npm registry
// only when the package has dependencies.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync, rmSync, statSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {printTable} from './lib.mjs';

const where = mkdtempSync(join(tmpdir(), 'dcpt-package-bench-'));
const run = (command, args, options = {}) => execFileSync(command, args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options});
run('npm', ['pack', '--silent', '--pack-destination', where], {cwd: resolve('.')});
const tarball = readdirSync(where).find((file) => /^dockerception-.*\.tgz$/.test(file));
const env = {...process.env, npm_config_cache: join(where, 'cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false'};

const project = join(where, 'project');
run('mkdir', ['-p', project]);
run('npm', ['init', '-y'], {cwd: project, env});
let started = Date.now();
run('npm', ['install', '--omit=dev', join(where, tarball)], {cwd: project, env});
const installSeconds = (Date.now() - started) / 1000;
const packages = run('npm', ['ls', '--all', '--omit=dev', '--parseable'], {cwd: project, env})
	.trim()
	.split('\n')
	.filter((line) => line.includes('node_modules')).length;
const bytes = Number(run('du', ['-sb', join(project, 'node_modules')]).split('\t')[0]);

// Cold npx: an empty cache again.
rmSync(join(where, 'cache'), {recursive: true, force: true});
started = Date.now();
run('npx', ['-y', `./${tarball}`, '--version'], {cwd: where, env});
const npxSeconds = (Date.now() - started) / 1000;

printTable(
	'The npm package, installed cold',
	['tarball', 'packages installed', 'installed size', 'npm install --omit=dev', 'cold npx --version'],
	[
		[
			`${(statSync(join(where, tarball)).size / 1024).toFixed(0)} KB`,
			String(packages),
			`${(bytes / 1048576).toFixed(1)} MB`,
			`${installSeconds.toFixed(1)} s`,
			`${npxSeconds.toFixed(1)} s`,
		],
	],
);
rmSync(where, {recursive: true, force: true});
