// How long Ink takes per frame for the App on captured lab data (no terminal involved).
import {readFileSync} from 'node:fs';
import {Writable} from 'node:stream';
import {EventEmitter} from 'node:events';
import React from 'react';
import {render} from 'ink';
import {createTreeStore} from '../dist/store/store.js';
import {unicodeGlyphs} from '../dist/output/glyphs.js';
import {App} from '../dist/ui/App.js';

const tree = JSON.parse(readFileSync(new URL('../test/fixtures/lab-tree.json', import.meta.url), 'utf8'));
const stdout = Object.assign(new Writable({write(_c, _e, cb) { cb(); }}), {columns: 120, rows: 40, isTTY: true});
const stdin = Object.assign(new EventEmitter(), {isTTY: true, setRawMode() {}, setEncoding() {}, read() { return null; }, ref() {}, unref() {}, resume() {}, pause() {}});
const times = [];
const store = createTreeStore(tree);
const instance = render(React.createElement(App, {store, controller: {refresh: async () => {}, handles: new Set()}, glyphs: unicodeGlyphs, ascii: false}), {stdout, stdin, onRender: ({renderTime}) => times.push(renderTime), patchConsole: false, exitOnCtrlC: false});
const key = Object.keys(tree.containers).find((k) => tree.containers[k].name === 'plain-1');
for (let i = 0; i < 30; i++) {
	store.dispatch({type: 'container/upsert', container: {...tree.containers[key], status: `Up ${i}`, state: i % 2 ? 'paused' : 'running'}});
	await new Promise((r) => setTimeout(r, 40));
}
instance.unmount();
times.sort((a, b) => a - b);
console.log(`frames ${times.length}, median ${times[Math.floor(times.length / 2)].toFixed(1)} ms, p90 ${times[Math.floor(times.length * 0.9)].toFixed(1)} ms`);
