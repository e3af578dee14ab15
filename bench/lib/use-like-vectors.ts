/**
 * Unit vectors shaped like Universal Sentence Encoder lite output rather than uniform noise: every
 * embedding shares a common direction (USE-lite vectors of unrelated texts have cosines around
 * 0.2–0.5, not 0), texts cluster by topic, and the rest is noise. Deterministic for a seed.
 */
export function useLikeVectors(count: number, dims: number, seed: number, topics = 200): Float32Array[] {
  let state = seed >>> 0;
  const uniform = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const gaussian = () => Math.sqrt(-2 * Math.log(uniform() + 1e-12)) * Math.cos(2 * Math.PI * uniform());
  const unit = (v: Float32Array) => {
    let sum = 0;
    for (let j = 0; j < v.length; j++) sum += v[j]! * v[j]!;
    const norm = Math.sqrt(sum);
    return v.map((x) => x / norm);
  };
  const randomUnit = () => unit(Float32Array.from({ length: dims }, gaussian));
  // The shared direction and the topics come from a fixed seed, so corpus and queries share them.
  const saved = state;
  state = 12345;
  const common = randomUnit();
  const centres = Array.from({ length: topics }, randomUnit);
  state = saved;
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(uniform() * topics)]!;
    const noise = randomUnit();
    const strength = 0.4 + 0.4 * uniform();
    return unit(Float32Array.from({ length: dims }, (_, j) => 0.55 * common[j]! + strength * centre[j]! + 0.6 * noise[j]!));
  });
}

