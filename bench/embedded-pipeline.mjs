// The embedder's pipeline, as the README shows it: binPack() from the package's public entry
// point, a file stream in, a file stream out. bench/embedded.mjs times it beside the CLI.
//   node bench/embedded-pipeline.mjs INPUT OUTPUT DEAD_LETTERS
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { binPack, DeadLetterFile } from 'bin-packer';

const [input, output, deadLetterFile] = process.argv.slice(2);
const deadLetters = new DeadLetterFile(deadLetterFile);
const lines = binPack({ input: createReadStream(input), workers: 'auto', deadLetters });
await pipeline(lines, createWriteStream(output));
await deadLetters.close();
console.log(JSON.stringify({ delivered: lines.progress.lines.delivered, deadLettered: deadLetters.count, sortWorkers: lines.progress.sortWorkers }));
