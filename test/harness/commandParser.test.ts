import assert from 'node:assert/strict';

import {
  escapeCommandValue,
  getProperty,
  LineSplitter,
  parseCommandLine,
  splitLines,
  unescapeCommandValue,
} from './commandParser';
import { splitTwoRemoveEmpty, tryParseBoolean } from './dotnetSemantics';

describe('harness/commandParser (Command.TryParse, docs/agent-interface.md §4)', () => {
  it('parses area, event, properties and data', () => {
    const command = parseCommandLine('##vso[task.setvariable variable=kv.a;issecret=true;]value');
    assert.deepEqual(command, {
      area: 'task',
      event: 'setvariable',
      properties: { variable: 'kv.a', issecret: 'true' },
      data: 'value',
    });
  });

  it('does not trim keys: "; issecret=true" is key " issecret", not issecret', () => {
    const command = parseCommandLine('##vso[task.setvariable variable=x; issecret=true]v');
    assert.ok(command);
    assert.equal(getProperty(command, 'issecret'), undefined);
    assert.equal(getProperty(command, ' issecret'), 'true');
  });

  it('looks properties up case-insensitively; a later key replaces the value, keeps the first spelling', () => {
    const command = parseCommandLine(
      '##vso[task.setvariable Variable=a;VARIABLE=b;IsSecret=True]v',
    );
    assert.ok(command);
    assert.equal(getProperty(command, 'variable'), 'b');
    assert.deepEqual(Object.keys(command.properties), ['Variable', 'IsSecret']);
  });

  it('reads booleans like Boolean.TryParse: true/false any case, "1" is not true', () => {
    assert.equal(tryParseBoolean('TRUE'), true);
    assert.equal(tryParseBoolean(' false '), false);
    assert.equal(tryParseBoolean('1'), undefined);
    assert.equal(tryParseBoolean('yes'), undefined);
    assert.equal(tryParseBoolean(undefined), undefined);
  });

  it('drops pairs without both key and value; splits on the first "=" like .NET Split(count 2, RemoveEmpty)', () => {
    const command = parseCommandLine('##vso[task.x a=;=b;c;d=e=f;g==h;;]');
    assert.ok(command);
    assert.deepEqual(command.properties, { d: 'e=f', g: 'h' });
    assert.deepEqual(splitTwoRemoveEmpty('=k=v', '='), ['k', 'v']);
    assert.deepEqual(splitTwoRemoveEmpty('==v', '='), ['v']);
  });

  it('unescapes in the agent order %3B, %0D, %0A, %5D, %AZP25', () => {
    assert.equal(unescapeCommandValue('a%3Bb%0D%0Ac%5Dd%AZP25e'), 'a;b\r\nc]d%e');
    // %AZP25 last: an escaped percent followed by 3B stays "%3B" rather than becoming ";".
    assert.equal(unescapeCommandValue('%AZP253B'), '%3B');
    assert.equal(unescapeCommandValue('%AZP250A'), '%0A');
    // Plain %25 is not an escape.
    assert.equal(unescapeCommandValue('%25'), '%25');
    const command = parseCommandLine('##vso[task.setvariable variable=a%3Bb%5D]x%0Ay%3Bz%5D%AZP25');
    assert.equal(command?.properties.variable, 'a;b]');
    assert.equal(command?.data, 'x\ny;z]%');
  });

  it('escapes for the masker with % first', () => {
    assert.equal(escapeCommandValue('50%;a]\r\n'), '50%AZP25%3Ba%5D%0D%0A');
  });

  it('ends command info at the first "]": "]" in data stays', () => {
    const command = parseCommandLine('##vso[task.setsecret]va;l]ue');
    assert.equal(command?.data, 'va;l]ue');
  });

  it('finds "##vso[" anywhere in the line', () => {
    const command = parseCommandLine('2024-01-01T00:00:00Z prefix ##vso[task.debug]hello');
    assert.deepEqual(command && [command.area, command.event, command.data], [
      'task',
      'debug',
      'hello',
    ]);
  });

  it('rejects lines that are not commands', () => {
    for (const line of [
      '',
      'plain output',
      '##vso[task.setvariable variable=x',
      '##vso[task]data',
      '##vso[a.b.c]data',
      '##vso[ task.debug]data',
      '##vso[.]data',
      '##vso task.debug]x',
    ]) {
      assert.equal(parseCommandLine(line), undefined, line);
    }
    // Empty segments are removed before counting: still area + event.
    assert.equal(parseCommandLine('##vso[.task..debug.]x')?.event, 'debug');
  });

  it('splits lines on \\n, \\r\\n and lone \\r; no empty tail', () => {
    assert.deepEqual(splitLines('a\nb\r\nc\rd'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(splitLines('a\n\nb\n'), ['a', '', 'b']);
    assert.deepEqual(splitLines('a\r\r'), ['a', '']);
    assert.deepEqual(splitLines(''), []);
  });

  it('streams: a \\r at a chunk end waits for the next chunk', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('one\r'), []);
    assert.deepEqual(splitter.push('\ntwo\rthr'), ['one', 'two']);
    assert.deepEqual(splitter.push('ee'), []);
    assert.deepEqual(splitter.end(), ['three']);
  });
});
