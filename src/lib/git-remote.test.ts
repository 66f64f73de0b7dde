import { describe, expect, it } from 'vitest';
import { gitRemoteUrl, gitTransport } from './git-remote';

describe('Git addresses', () => {
  it('use the scheme and host the console was opened at, and the pages name that scheme', () => {
    expect(gitRemoteUrl('mary@example.com', 'notes', 'https://pat.example.com')).toBe(
      'https://mary%40example.com@pat.example.com/git/mary%40example.com/notes.git',
    );
    expect(gitTransport('https://pat.example.com')).toBe('HTTPS');
    expect(gitTransport('http://127.0.0.1:8080')).toBe('HTTP');
  });
});
