import { Message, RecordBatchFileWriter, type Schema } from 'apache-arrow';

/**
 * apache-arrow's file writer with the schema message the Arrow format puts
 * after the `ARROW1` preamble. apache-arrow 21 leaves it out (the schema is
 * then only in the footer), so a reader has nothing to check a damaged
 * footer schema against: a flipped type tag reads a column as another type.
 * Arrow C++ and pyarrow write it; readers (ours included, file-meta.ts)
 * compare it with the footer's schema.
 */
export class SchemaFirstFileWriter extends RecordBatchFileWriter {
  protected override _writeSchema(schema: Schema): this {
    // Magic (6 bytes) and padding to 8, then the stream format: schema message first.
    return this._writeMagic()._writePadding(2)._writeMessage(Message.from(schema));
  }
}
