import { renderApiLocation } from 'jsii-rosetta';
import { expectedSnippets } from '../../scripts/rosetta/expected-snippets';
import { codeBlocks } from '../../scripts/rosetta/markdown-code';
import { JsiiAssembly } from '../../scripts/rosetta/python-api';

/* How verify:translations finds the snippets that rosetta must have translated, without rosetta. */

test('code blocks: language, opening line and source; longer fences hold shorter ones', () => {
  const markdown = ['# Title', '```ts fixture=app', 'const a = 1;', '```', '', '````md', '```ts', 'inner', '```', '````', '```', 'plain'].join('\n');
  expect(codeBlocks(markdown)).toEqual([
    { line: 2, language: 'ts', source: 'const a = 1;' },
    { line: 6, language: 'md', source: '```ts\ninner\n```' },
    { line: 11, language: '', source: 'plain' },
  ]);
});

test('README ts fences, @example tags and fences in summaries and remarks, located as rosetta locates them', () => {
  const assembly = {
    name: 'demo',
    readme: { markdown: ['```ts', 'one();', '```', '```sh', 'npm i demo', '```', '```typescript', 'two();', '```'].join('\n') },
    types: {
      'demo.Tier': {
        fqn: 'demo.Tier',
        name: 'Tier',
        kind: 'class',
        docs: { example: 'Tier.daily();', summary: 'Short.' },
        initializer: { parameters: [{ name: 'props', docs: { remarks: 'Like this:\n\n```ts\nnew Tier({});\n```' } }] },
        methods: [{ name: 'daily', docs: { summary: '```ts\nTier.daily();\n```' } }],
      },
    },
  } as unknown as JsiiAssembly;
  expect(expectedSnippets(assembly).map((s) => [s.where, renderApiLocation(s.api), s.source])).toEqual([
    ['README.md:1', 'demo-README', 'one();'],
    ['README.md:7', 'demo-README', 'two();'],
    ['demo.Tier example', 'demo.Tier', 'Tier.daily();'],
    ['demo.Tier#<initializer> parameter props remarks, line 3', 'demo.Tier#<initializer>!#props', 'new Tier({});'],
    ['demo.Tier#daily summary, line 1', 'demo.Tier#daily', 'Tier.daily();'],
  ]);
});
