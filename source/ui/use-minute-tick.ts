import {useEffect, useState} from 'react';

/** A re-render once a minute, so uptimes stay true without a busy timer. */
export function useMinuteTick(): number {
	const [now, setNow] = useState(() => Date.now());
	useEffect(() => {
		const timer = setInterval(() => setNow(Date.now()), 60_000);
		timer.unref();
		return () => clearInterval(timer);
	}, []);
	return now;
}
