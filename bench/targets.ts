// What the issues ask of the cell and the control plane (the floors they were set from are in
// bench/README.md); the real-time and operator phases keep their own.
export const TARGETS = {
  locationP95Ms: 5,
  chainP95Ms: 15,
  maxRatioToRaw: 3,
  recordSaleP95Ms: 10,
  salesPerSecond: 1_500,
  /** Issue 4: what the router adds to a request's p99. */
  routerAddedP99Ms: 1,
};
