import {Text as InkText, type TextProps} from 'ink';
import {Children, type ReactNode} from 'react';
import {visible} from '../output/visible.js';

/**
 * Ink's Text, with every string child made visible (output/visible.ts): names, labels, logs
 * and answers from daemons can carry escape sequences, and none may reach the terminal.
 * Line breaks and tabs too become pictures (␊ ␉): a name with a newline would otherwise draw a
 * row of its own (`x\n● prod-db`). A Text is one line of text; more lines are more Texts.
 * Colours come from props, never from the text; `sgr` keeps the text's own colours (logs).
 */
export function Text({children, sgr, ...props}: TextProps & {sgr?: boolean}) {
	return (
		<InkText {...props}>{Children.map(children, (child: ReactNode) => (typeof child === 'string' ? visible(child, {sgr: sgr ?? false}) : child))}</InkText>
	);
}
