import { useState } from 'react';
import { useDebouncedValue } from './use-debounced-value';

/** What a search box shows (`text`) and what the list query uses (`debounced`, once typing pauses). */
export interface SearchText {
  text: string;
  setText: (text: string) => void;
  debounced: string;
}

export function useSearchText(): SearchText {
  const [text, setText] = useState('');
  const debounced = useDebouncedValue(text);
  return { text, setText, debounced };
}
