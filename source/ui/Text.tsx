import {Text as InkText, type TextProps} from 'ink';
import {Children, type ReactNode} from 'react';
import {visible} from '../output/visible.js';

/**
 * Ink's Text, with every string child made visible (output/visible.ts): names, labels, logs
 * and answers from daemons can carry escape sequences, and none may reach the terminal.
 * Colours come from props, never from the text; `sgr` keeps the text's own colours (logs).
 */
export function Text({children, sgr, ...props}: TextProps & {sgr?: boolean}) {
	return (
		<InkText {...props}>
			{Children.map(children, (child: ReactNode) => (typeof child === 'string' ? visible(child, {lines: true, sgr: sgr ?? false}) : child))}
		</InkText>
	);
}
