// Statistics of paired rounds (bench/api-guard.sh, bench/catalog-products.sh): two setups measured in alternating
// rounds give one ratio per pair of neighbouring rounds; the median of the ratios, and how far it can be trusted.

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// A 95 % bootstrap interval of the median: the ratios resampled with replacement 10,000 times, from a fixed seed so a
// re-read of the same outputs prints the same interval. Returns [low, high].
export const medianInterval = (xs) => {
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const medians = [];
  for (let i = 0; i < 10000; i++) medians.push(median(xs.map(() => xs[Math.floor(random() * xs.length)])));
  medians.sort((a, b) => a - b);
  return [medians[250], medians[9749]];
};

// "M % (95 % bootstrap interval L-H %)" of ratios (1.0 = 100 %).
export const describe = (ratios) => {
  const [low, high] = medianInterval(ratios);
  return `${(100 * median(ratios)).toFixed(1)} % (95 % bootstrap interval ${(100 * low).toFixed(1)}-${(100 * high).toFixed(1)} %)`;
};
