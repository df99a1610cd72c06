import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRecipe } from './recipe';
import { TUNE5, applyOverride, loadTune } from './tune';

describe('tune files and overrides', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'hypertrack-tune-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads YAML as JSON, over tune-5, and the --set overrides after it', async () => {
    const yaml = join(dir, 'tune.yaml');
    writeFileSync(yaml, ['# a mu = 20 stage', 'param: my-tune', 'training:', '  learningRate: 0.002', 'model:', '  correlateHidden: [16, 16]', 'transformer:', '  search:', '    randomPaths: 8', ''].join('\n'));
    const json = join(dir, 'tune.json');
    writeFileSync(json, JSON.stringify({ param: 'my-tune', training: { learningRate: 0.002 }, model: { correlateHidden: [16, 16] }, transformer: { search: { randomPaths: 8 } } }));
    const [fromYaml, fromJson] = [await loadTune(yaml), await loadTune(json)];
    expect(fromYaml).toEqual(fromJson);
    expect([fromYaml.param, fromYaml.training.learningRate, fromYaml.model.correlateHidden, fromYaml.transformer.search.randomPaths, fromYaml.training.optimizer]).toEqual([
      'my-tune',
      0.002,
      [16, 16],
      8,
      TUNE5.training.optimizer,
    ]);
    const over = await loadTune(yaml, ['training.learningRate=5e-4', 'transformer.losses.target=major', 'model.bn=false']);
    expect([over.training.learningRate, over.transformer.losses.target, over.model.bn]).toEqual([5e-4, 'major', false]);
  });

  it('names the file, line and key of what is wrong', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'training:\n  learningRate: [1\n');
    await expect(loadTune(bad)).rejects.toThrow(new RegExp(`^${bad}:\\d+: .*not valid YAML`));
    // The position once, in the location: line, then column, then the parser's words.
    writeFileSync(bad, 'model:\n  nstack: 1\nmodel:\n  hDim: 2\n');
    await expect(loadTune(bad)).rejects.toThrow(new Error(`${bad}:3: not valid YAML at column 1: Map keys must be unique`));
    await expect(loadRecipe(bad)).rejects.toThrow(new Error(`${bad}:3: not valid YAML at column 1: Map keys must be unique`));
    await expect(loadTune(dir)).rejects.toThrow(`${dir}: cannot read the config file: EISDIR`);
    writeFileSync(bad, '');
    await expect(loadTune(bad)).rejects.toThrow(new Error(`${bad}: expected a mapping of tune sections (param, model, training, data, cluster, transformer), got nothing (an empty file?)`));
    writeFileSync(bad, '- 1\n- 2\n');
    await expect(loadTune(bad)).rejects.toThrow(`${bad}: expected a mapping of tune sections (param, model, training, data, cluster, transformer), got [1,2]`);
    await expect(loadRecipe(join(dir, 'none.yaml'))).rejects.toThrow(`${join(dir, 'none.yaml')}: cannot read the config file: ENOENT`);
    const typo = join(dir, 'typo.yml');
    writeFileSync(typo, 'training:\n  learningRat: 1\n');
    await expect(loadTune(typo)).rejects.toThrow(`${typo}: column 'training.learningRat': unknown key`);
    expect(() => applyOverride(TUNE5, 'training.learningRat=1')).toThrow(/^--set: column 'training\.learningRat': unknown key \(known here: optimizer, learningRate, /);
    expect(() => applyOverride(TUNE5, 'training.learningRate=fast')).toThrow("--set: column 'training.learningRate': expected a number, got \"fast\"");
    expect(() => applyOverride(TUNE5, 'model.correlateHidden=[4,')).toThrow(new Error('--set: model.correlateHidden: cannot read the value: Flow sequence must end with a ]'));
    expect(() => applyOverride(TUNE5, 'learningRate')).toThrow("--set: expected key=value (e.g. training.learningRate=0.001), got 'learningRate'");
    await expect(loadTune(undefined, ['training.learningRate=-1'])).rejects.toThrow("training: training config 'learningRate' must be a positive number, got -1");
  });
});

describe('progressive recipes', () => {
  it('reads the shipped configs/progressive.yaml: three stages over tune-6, each with its graph and end', async () => {
    const recipe = await loadRecipe(join(__dirname, '..', '..', '..', 'configs', 'progressive.yaml'));
    expect(recipe?.stages.map((s) => [s.name, s.tune.param, s.tune.data.rfactorStart, s.tune.data.ncell, s.tune.training.learningRate, s.steps])).toEqual([
      ['mu2', 'tune-6', 0.01, 16384, 0.002, 4000],
      ['mu20', 'tune-6', 0.1, 65536, 0.0005, 4000],
      ['mu40', 'tune-6', 0.2, 65536, 0.0005, 2000],
    ]);
    expect(await loadRecipe(join(__dirname, '..', '..', '..', 'configs', 'tune-6.json'))).toBeNull();
  });

  it('names the file and the stage key of what is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hypertrack-recipe-'));
    try {
      const write = (text: string) => {
        const file = join(dir, `r${Math.random().toString(36).slice(2)}.yaml`);
        writeFileSync(file, text);
        return file;
      };
      const noEnd = write('stages:\n  - name: a\n');
      await expect(loadRecipe(noEnd)).rejects.toThrow(`${noEnd}: column 'stages[0].steps': a stage needs an end: steps, timeLimit or valAucGoal`);
      const twice = write('stages:\n  - { name: a, steps: 1 }\n  - { name: a, steps: 2 }\n');
      await expect(loadRecipe(twice)).rejects.toThrow(`${twice}: column 'stages[1].name': 'a' names two stages`);
      const typo = write('stages:\n  - { name: a, steps: 1, set: { training.learningRat: 1 } }\n');
      await expect(loadRecipe(typo)).rejects.toThrow(`${typo}: stages[0].set: --set: column 'training.learningRat': unknown key`);
      const extra = write('stages:\n  - { name: a, step: 1 }\n');
      await expect(loadRecipe(extra)).rejects.toThrow(`${extra}: column 'stages[0].step': unknown key (known: name, set, vdModel, steps, timeLimit, valAucGoal)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
