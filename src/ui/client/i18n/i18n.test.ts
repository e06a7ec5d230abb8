import { describe, expect, it } from 'vitest';
import { en } from './en';
import { detectLang } from './index';
import { zhCN } from './zh-CN';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('dictionaries', () => {
  it('translate every text, with the same placeholders', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      expect(zhCN[key], key).toBeTruthy();
      expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
    }
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
  });
});

describe('detectLang', () => {
  it('follows the browser: any zh* is Simplified Chinese', () => {
    expect(detectLang(['zh-TW', 'en'], null)).toBe('zh-CN');
    expect(detectLang(['zh'], null)).toBe('zh-CN');
    expect(detectLang(['en-GB', 'zh-CN'], null)).toBe('en');
    expect(detectLang(['fr-FR'], null)).toBe('en');
  });

  it('prefers what the user chose before', () => {
    expect(detectLang(['zh-CN'], 'en')).toBe('en');
    expect(detectLang(['en-US'], 'zh-CN')).toBe('zh-CN');
    expect(detectLang(['en-US'], 'klingon')).toBe('en');
  });
});
