import { RefObject, useEffect } from 'react';

/** On narrow screens a side panel sits below a long list: bring it into view when it opens. */
export function useReveal(ref: RefObject<HTMLElement | null>, key: string): void {
  useEffect(() => {
    if (window.matchMedia?.('(max-width: 760px)').matches) {
      ref.current?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }, [ref, key]);
}
