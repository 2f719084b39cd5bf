import {eastAsianWidth} from 'get-east-asian-width';
import stripAnsi from 'strip-ansi';

/**
 * string-width 8.3.0 (MIT © Sindre Sorhus), for every copy Ink and its helpers import (the
 * bundle aliases `string-width` here), with two changes for start-up and frame time:
 * - its Unicode regexes and Intl.Segmenter are built on first need, not at import (the
 *   RGI_Emoji class alone took 12 ms of start-up);
 * - text made only of characters that are one column wide whatever their neighbours (ASCII,
 *   Latin-1, box drawing, arrows, the glyphs the tree draws) is measured without the segmenter,
 *   whose first use loads ICU break data (30 ms in the first frame). test/unit/string-width.test.ts
 *   checks that set against the upstream package, character by character.
 * Otherwise it is upstream's logic, unchanged.
 */

function lazy<T>(make: () => T): () => T {
	let value: T | undefined;
	return () => (value ??= make());
}

const segmenter = lazy(() => new Intl.Segmenter());
const visibleCharacterRegex = lazy(
	() => new RegExp('[^\\p{Default_Ignorable_Code_Point}\\p{Control}\\p{Format}\\p{Nonspacing_Mark}\\p{Enclosing_Mark}\\p{Surrogate}]', 'v'),
);
const spacingMarkRegex = lazy(() => new RegExp('\\p{Spacing_Mark}', 'v'));
const rgiEmojiRegex = lazy(() => new RegExp('^\\p{RGI_Emoji}$', 'v'));
const unqualifiedKeycapRegex = /^[\d#*]\u20E3$/;
const extendedPictographicRegex = lazy(() => /\p{Extended_Pictographic}/gu);

/** One column each, alone or in any sequence of them (checked against upstream in the tests). */
export const narrowRun =
	/^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2500-\u25FC\u25FF\u2605\u26A0\u2713\u2715\u2717\u2800-\u28FF]*$/;

function isDoubleWidthNonRgiEmojiSequence(segment: string): boolean {
	if (segment.length > 50) return false;
	if (unqualifiedKeycapRegex.test(segment)) return true;
	if (segment.includes('\u200D')) {
		const pictographics = segment.match(extendedPictographicRegex());
		return pictographics !== null && pictographics.length >= 2;
	}
	return false;
}

function baseVisible(segment: string): string | undefined {
	const index = segment.search(visibleCharacterRegex());
	return index === -1 ? undefined : segment.slice(index);
}

const isHangulLeadingJamo = (c: number | undefined) => c !== undefined && ((c >= 0x11_00 && c <= 0x11_5f) || (c >= 0xa9_60 && c <= 0xa9_7c));
const isHangulVowelJamo = (c: number | undefined) => c !== undefined && ((c >= 0x11_60 && c <= 0x11_a7) || (c >= 0xd7_b0 && c <= 0xd7_c6));
const isHangulTrailingJamo = (c: number | undefined) => c !== undefined && ((c >= 0x11_a8 && c <= 0x11_ff) || (c >= 0xd7_cb && c <= 0xd7_fb));
const isHangulJamo = (c: number) => isHangulLeadingJamo(c) || isHangulVowelJamo(c) || isHangulTrailingJamo(c);

type WidthOptions = {ambiguousAsWide: boolean};

function hangulClusterWidth(visibleSegment: string, options: WidthOptions): number | undefined {
	const codePoints: number[] = [];
	for (const character of visibleSegment) {
		if (!visibleCharacterRegex().test(character)) continue;
		codePoints.push(character.codePointAt(0)!);
	}
	if (codePoints.length === 0) return undefined;
	let width = 0;
	for (let index = 0; index < codePoints.length; index++) {
		const codePoint = codePoints[index]!;
		if (!isHangulJamo(codePoint)) {
			if (width === 0) return undefined;
			for (let remaining = index; remaining < codePoints.length; remaining++) width += eastAsianWidth(codePoints[remaining]!, options);
			return width;
		}
		if (isHangulLeadingJamo(codePoint) && isHangulVowelJamo(codePoints[index + 1])) {
			width += 2;
			index += isHangulTrailingJamo(codePoints[index + 2]) ? 2 : 1;
			continue;
		}
		width += eastAsianWidth(codePoint, options);
	}
	return width;
}

function trailingWidth(visibleSegment: string, options: WidthOptions): number {
	let extra = 0;
	let first = true;
	for (const character of visibleSegment) {
		if (first) {
			first = false;
			continue;
		}
		if (spacingMarkRegex().test(character) || (character >= '\uFF00' && character <= '\uFFEF')) extra += eastAsianWidth(character.codePointAt(0)!, options);
	}
	return extra;
}

export default function stringWidth(input: unknown, options: {ambiguousIsNarrow?: boolean; countAnsiEscapeCodes?: boolean} = {}): number {
	if (typeof input !== 'string' || input.length === 0) return 0;
	const {ambiguousIsNarrow = true, countAnsiEscapeCodes = false} = options;
	let string = input;
	if (!countAnsiEscapeCodes && (string.includes('\u001B') || string.includes('\u009B'))) string = stripAnsi(string);
	if (string.length === 0) return 0;
	if (ambiguousIsNarrow && narrowRun.test(string)) return string.length;
	if (/^[\u0020-\u007E]*$/.test(string)) return string.length;
	let width = 0;
	const eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};
	for (const {segment} of segmenter().segment(string)) {
		const visibleSegment = baseVisible(segment);
		if (visibleSegment === undefined) continue;
		if (rgiEmojiRegex().test(segment) || isDoubleWidthNonRgiEmojiSequence(segment)) {
			width += 2;
			continue;
		}
		const hangulWidth = hangulClusterWidth(visibleSegment, eastAsianWidthOptions);
		if (hangulWidth !== undefined) {
			width += hangulWidth;
			continue;
		}
		width += eastAsianWidth(visibleSegment.codePointAt(0)!, eastAsianWidthOptions);
		width += trailingWidth(visibleSegment, eastAsianWidthOptions);
	}
	return width;
}
