import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.js';

describe('LruCache', () => {
  it('evicts the least recently used entries until the total size fits, and says which', () => {
    const evicted: string[] = [];
    const cache = new LruCache<number>(10, (key) => evicted.push(key));
    cache.set('a', 1, 4);
    cache.set('b', 2, 4);
    expect(cache.get('a')).toBe(1); // a is now more recent than b
    cache.set('c', 3, 4);
    expect(evicted).toEqual(['b']);
    expect(cache.keys()).toEqual(['a', 'c']);
    expect(cache.size).toBe(8);
    cache.set('d', 4, 9);
    expect(evicted).toEqual(['b', 'a', 'c']);
    expect(cache.keys()).toEqual(['d']);
    expect(cache.size).toBe(9);
  });

  it('keeps nothing larger than its cap, and has() does not count as a use', () => {
    const evicted: string[] = [];
    const cache = new LruCache<number>(10, (key) => evicted.push(key));
    cache.set('big', 1, 11);
    expect(cache.has('big')).toBe(false);
    expect(cache.size).toBe(0);
    cache.set('a', 1, 5);
    cache.set('b', 2, 5);
    expect(cache.has('a')).toBe(true);
    cache.set('c', 3, 5);
    expect(evicted).toEqual(['a']);
  });

  it('replacing or deleting an entry frees its size without reporting an eviction', () => {
    const evicted: string[] = [];
    const cache = new LruCache<number>(10, (key) => evicted.push(key));
    cache.set('a', 1, 6);
    cache.set('a', 2, 3);
    expect(cache.size).toBe(3);
    cache.delete('a');
    expect(cache.size).toBe(0);
    expect(evicted).toEqual([]);
  });
});
