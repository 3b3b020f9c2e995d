import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar';

describe('ProgressBar', () => {
  it('should expose its value to assistive technology, clamped to 0..100', () => {
    render(<ProgressBar value={140.2} label="Upload of m31.fits" />);
    const bar = screen.getByRole('progressbar', { name: 'Upload of m31.fits' });
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.getAttribute('aria-valuetext')).toBe('100 %');
  });
});
