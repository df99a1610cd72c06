import { Command } from 'commander';
import { writeRunReport } from '@hypertrack/report';
import type { CliIO } from '../io';

interface ReportOptions {
  title?: string;
  png: boolean;
}

export function reportCommand(io: CliIO): Command {
  return new Command('report')
    .description('render the plots (SVG and PNG) and one self-contained report.html of a run folder')
    .argument('<run-dir>', 'run folder written by score --logdir (and later train and infer)')
    .option('--title <title>', 'page title')
    .option('--no-png', 'write SVG plots only')
    .action(async (runDir: string, options: ReportOptions) => {
      const files = await writeRunReport(runDir, { title: options.title, png: options.png });
      io.stdout.write(`wrote ${files.html} and ${files.plots.length} plot file(s) in ${runDir}/plots\n`);
    });
}
