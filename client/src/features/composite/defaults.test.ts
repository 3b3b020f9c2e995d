import { describe, expect, it } from 'vitest';
import { defaultColors, fitSize, newChannel, recolor, validateComposite } from './defaults';

describe('defaultColors', () => {
  it('should give RGB for three channels and grey for one', () => {
    expect(defaultColors(3)).toEqual(['#ff0000', '#00ff00', '#0000ff']);
    expect(defaultColors(1)).toEqual(['#ffffff']);
    expect(defaultColors(8)).toHaveLength(8);
  });
});

describe('recolor', () => {
  it('should keep a colour the person chose and recolour defaults', () => {
    const chans = [newChannel('a'), { ...newChannel('b'), color: '#123456' }, newChannel('c')];
    expect(recolor(chans).map((c) => c.color)).toEqual(['#ff0000', '#123456', '#0000ff']);
  });
});

describe('fitSize', () => {
  it('should keep the aspect ratio and never upscale', () => {
    expect(fitSize(4000, 2000, 400)).toEqual({ width: 400, height: 200 });
    expect(fitSize(100, 50, 400)).toEqual({ width: 100, height: 50 });
  });
});

describe('validateComposite', () => {
  it('should name the field with the problem', () => {
    const errs = validateComposite({
      channels: [{ ...newChannel(''), blackPoint: 0.9, whitePoint: 0.5 }],
    });
    expect(Object.keys(errs).sort()).toEqual(['channels.0.assetId', 'channels.0.whitePoint']);
    expect(validateComposite({ channels: [] })).toHaveProperty('channels');
  });
});
