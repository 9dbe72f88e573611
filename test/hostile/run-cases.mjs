// Runs hostile specs through the built library (dist/), one after another, in a
// process started with a heap cap by test/hostile/reproducers.test.ts. Reads the
// cases as JSON on stdin; prints, per case, what came back and how long it took.
import { check, compile, codes } from '../../dist/index.js';

const input = await new Promise((done) => {
  let text = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => (text += chunk));
  process.stdin.on('end', () => done(text));
});

const results = [];
for (const c of JSON.parse(input)) {
  const started = performance.now();
  try {
    const sources = c.sources.map(([path, text]) => ({ path, text }));
    const checked = check(sources);
    const compiled = compile(sources);
    const texts = new Map(sources.map((s) => [s.path, s.text]));
    const badSpans = checked.diagnostics.filter((d) => !d.span || !texts.has(d.span.file) || !(d.span.start >= 0 && d.span.start < d.span.end && d.span.end <= Math.max(1, texts.get(d.span.file).length)));
    results.push({
      name: c.name,
      ms: performance.now() - started,
      codes: checked.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code),
      unknownCodes: checked.diagnostics.filter((d) => !(d.code in codes)).map((d) => d.code),
      badSpans: badSpans.map((d) => `${d.code} ${JSON.stringify(d.span)}`),
      modules: compiled.modules.map((m) => m.text),
    });
  } catch (e) {
    results.push({ name: c.name, ms: performance.now() - started, threw: String(e && e.stack || e) });
  }
}
process.stdout.write(JSON.stringify({ results, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
