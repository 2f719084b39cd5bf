import upstream from 'string-width';
import {describe, expect, it} from 'vitest';
import stringWidth, {narrowRun} from '../../source/ui/string-width.js';

/** The bundle's string-width (lazy, with a fast path) measures as upstream does. */
describe('string width', () => {
	it('every character of the fast path is one column, as upstream says', () => {
		const wrong: string[] = [];
		for (let code = 0x20; code <= 0x2fff; code++) {
			const character = String.fromCodePoint(code);
			if (!narrowRun.test(character)) continue;
			if (upstream(character) !== 1) wrong.push(code.toString(16));
		}
		expect(wrong).toEqual([]);
	});

	it('measures like upstream: text, wide, emoji, marks, jamo, control bytes and colours', () => {
		const samples = [
			'',
			'plain ascii',
			'└─ ▾● dind-b1   DinD   20.10.24 · 3 ctrs · swarm manager ★ 2jqn3w3j',
			'⠦ 1 connecting',
			'日本語のコンテナ',
			'👩‍👩‍👧 family',
			'🇫🇷 flag',
			'1️⃣ keycap',
			'e\u0301 combining',
			'\u1100\u1161\u11A8 jamo',
			'ｱﾞ halfwidth',
			'\u001B[31mred\u001B[39m',
			'tab\there',
			'zero\u200Bwidth',
			'⚠ warning ✓ ok ✗ no',
			'◽ medium small square',
		];
		for (const sample of samples) {
			expect(stringWidth(sample), sample).toBe(upstream(sample));
			expect(stringWidth(sample, {ambiguousIsNarrow: false}), sample).toBe(upstream(sample, {ambiguousIsNarrow: false}));
		}
		// Upstream's own fast path for ASCII as the sanity anchor.
		for (let code = 0x3000; code <= 0x30ff; code += 7) expect(stringWidth(String.fromCodePoint(code))).toBe(upstream(String.fromCodePoint(code)));
	});
});
