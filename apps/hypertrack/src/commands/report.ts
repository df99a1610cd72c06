import { Command } from 'commander';
import { writeRunComparison, writeRunReport } from '@hypertrack/report';
import type { CliIO } from '../io';

export function reportCommand(io: CliIO): Command {
  return new Command('report')
    .description('render the plots (SVG and PNG) and one self-contained report.html of a run folder')
    .argument('<run-dir>', 'run folder written by score --logdir (and later train and infer)')
    .option('--title <title>', 'page title')
    .option('--no-png', 'write SVG plots only')
    .option('--compare <other-run>', 'instead, write <run-dir>/compare-<other name>.html: both results rows side by side and overlays')
    .action(async (runDir: string, options: { title?: string; png: boolean; compare?: string }) => {
      if (options.compare) return void io.stdout.write(`wrote ${(await writeRunComparison(runDir, options.compare, { title: options.title })).html}\n`);
      const files = await writeRunReport(runDir, { title: options.title, png: options.png });
      io.stdout.write(`wrote ${files.html} and ${files.plots.length} plot file(s) in ${runDir}/plots\n`);
    });
}
