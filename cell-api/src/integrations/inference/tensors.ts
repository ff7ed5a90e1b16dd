import type { InferTensorContents, ModelInferRequest_InferInputTensor, ModelInferResponse } from './generated/inference/grpc_predict_v2';

/** Input tensors of a ModelInfer request, written as typed contents (no raw bytes). */
export type InputTensor = ModelInferRequest_InferInputTensor;

const EMPTY: InferTensorContents = {
  boolContents: [],
  intContents: [],
  int64Contents: [],
  uintContents: [],
  uint64Contents: [],
  fp32Contents: [],
  fp64Contents: [],
  bytesContents: [],
};

function tensor(name: string, datatype: string, shape: number[], contents: Partial<InferTensorContents>): InputTensor {
  return { name, datatype, shape, parameters: {}, contents: { ...EMPTY, ...contents } };
}

export const tensors = {
  text: (name: string, values: readonly string[]): InputTensor =>
    tensor(name, 'BYTES', [values.length], { bytesContents: values.map((v) => Buffer.from(v, 'utf8')) }),
  int32: (name: string, values: readonly number[]): InputTensor => tensor(name, 'INT32', [values.length], { intContents: [...values] }),
  /** Money and ids that fit a double exactly (đồng amounts stay far below 2^53). */
  int64: (name: string, values: readonly number[]): InputTensor => tensor(name, 'INT64', [values.length], { int64Contents: [...values] }),
  fp64: (name: string, values: readonly number[]): InputTensor => tensor(name, 'FP64', [values.length], { fp64Contents: [...values] }),
  bool: (name: string, value: boolean): InputTensor => tensor(name, 'BOOL', [1], { boolContents: [value] }),
  /** A row-major matrix of doubles: rows × columns. */
  fp64Matrix: (name: string, rows: readonly (readonly number[])[], columns: number): InputTensor =>
    tensor(name, 'FP64', [rows.length, columns], {
      fp64Contents: rows.flatMap((row) => {
        if (row.length !== columns) throw new RangeError(`${name}: a row has ${row.length} values, not ${columns}`);
        return row;
      }),
    }),
};

/** The model answered with something this client cannot read: a contract break, not bad input. */
export class InferenceContractError extends Error {}

/** A response's outputs by name, each read as the type the contract says. */
export class Outputs {
  private readonly byName: Map<string, ModelInferResponse['outputs'][number]>;

  constructor(
    private readonly model: string,
    response: ModelInferResponse,
  ) {
    if (response.rawOutputContents.length > 0)
      throw new InferenceContractError(`${model} answered with raw output contents; typed contents expected`);
    this.byName = new Map(response.outputs.map((output) => [output.name, output]));
  }

  text(name: string): string[] {
    return this.contents(name, 'BYTES').bytesContents.map((b) => b.toString('utf8'));
  }

  numbers(name: string): number[] {
    const output = this.output(name);
    const c = output.contents ?? EMPTY;
    switch (output.datatype) {
      case 'FP64':
        return c.fp64Contents;
      case 'FP32':
        return c.fp32Contents;
      case 'INT64':
        return c.int64Contents;
      case 'INT32':
        return c.intContents;
      default:
        throw new InferenceContractError(`${this.model}: output '${name}' is ${output.datatype}, not a number type`);
    }
  }

  bools(name: string): boolean[] {
    return this.contents(name, 'BOOL').boolContents;
  }

  /** How many rows the outputs have; every output must have that many. */
  rows(names: readonly string[]): number {
    const lengths = names.map((name) => Number(this.output(name).shape.reduce((a, b) => a * b, 1)));
    if (new Set(lengths).size > 1)
      throw new InferenceContractError(`${this.model}: outputs ${names.join(', ')} differ in length (${lengths.join(', ')})`);
    return lengths[0] ?? 0;
  }

  private output(name: string) {
    const output = this.byName.get(name);
    if (!output) throw new InferenceContractError(`${this.model}: output '${name}' is missing`);
    return output;
  }

  private contents(name: string, datatype: string): InferTensorContents {
    const output = this.output(name);
    if (output.datatype !== datatype)
      throw new InferenceContractError(`${this.model}: output '${name}' is ${output.datatype}, not ${datatype}`);
    return output.contents ?? EMPTY;
  }
}
