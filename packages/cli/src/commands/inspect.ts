/** `linreg inspect <inputs..>`: what the planner sees — shards, rows, units, columns, types and (Parquet) null counts. */
import { planInputs } from '@linreg/io';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { renderGrid } from '../format/grid.js';

interface InspectArgs {
  inputs: string[];
  format?: 'parquet' | 'arrow' | 'csv';
  json: boolean;
  s3Endpoint?: string;
  s3Region?: string;
}

export function inspectCommand(ctx: CommandContext): CommandModule<object, InspectArgs> {
  return {
    command: 'inspect <inputs..>',
    describe: 'Show the schema, row counts and work units of input files',
    builder: (y) =>
      y
        .positional('inputs', {
          describe: 'Files, directories or globs',
          type: 'string',
          array: true,
          demandOption: true,
        })
        .option('format', {
          describe: 'Input format (default: detected)',
          choices: ['parquet', 'arrow', 'csv'] as const,
        })
        .option('json', { describe: 'Print the plan as JSON', type: 'boolean', default: false })
        .option('s3-endpoint', {
          describe: 'S3-compatible endpoint for s3:// inputs (path-style addressing)',
          type: 'string',
        })
        .option('s3-region', { describe: 'Region of s3:// inputs', type: 'string' })
        .example('$0 inspect data/', 'columns, types and row groups of every shard')
        .example('$0 inspect "data/*.csv" --json', 'the plan as JSON') as never,
    handler: async (args) => {
      const remote = { s3Endpoint: args.s3Endpoint, s3Region: args.s3Region };
      const plan = await planInputs(args.inputs, { format: args.format, remote });
      const out = ctx.io.stdout;
      if (args.json) {
        const shards = plan.shards.map(({ columns: _columns, ...info }) => ({
          ...info,
          units: plan.units.filter((u) => u.file === info.file).length,
        }));
        out.write(
          `${JSON.stringify({ shards, columns: plan.columns, units: plan.units.length }, null, 2)}\n`,
        );
        return;
      }
      const rows = plan.shards.reduce((s, x) => s + x.rows, 0);
      const exact = plan.shards.every((x) => x.rowsExact);
      const bytes = plan.shards.reduce((s, x) => s + x.bytes, 0);
      out.write(
        `${plan.shards.length} shard(s), ${exact ? '' : '~'}${rows} rows, ${(bytes / 1e6).toFixed(1)} MB, ${plan.units.length} work unit(s)\n\n`,
      );
      const shardRows = plan.shards.map((s) => [
        s.file,
        s.format,
        `${s.rowsExact ? '' : '~'}${s.rows}`,
        String(plan.units.filter((u) => u.file === s.file).length),
        String(s.bytes),
      ]);
      out.write(
        `${renderGrid(['file', 'format', 'rows', 'units', 'bytes'], shardRows, { leftAligned: [1] }).join('\n')}\n\n`,
      );
      const columnRows = plan.columns.map((c) => [
        c.name,
        c.sourceType,
        c.numeric ? 'yes' : 'no',
        c.nullable ? 'yes' : 'no',
        // From the Parquet footer's statistics; Arrow and CSV would need a full read.
        c.nullCount === undefined ? '-' : String(c.nullCount),
      ]);
      out.write(
        `Columns common to all shards (${plan.columns.length}, ${plan.columns.filter((c) => c.numeric).length} numeric):\n`,
      );
      out.write(
        `${renderGrid(['column', 'type', 'numeric', 'nullable', 'nulls'], columnRows, { leftAligned: [1, 2, 3] }).join('\n')}\n`,
      );
    },
  };
}
