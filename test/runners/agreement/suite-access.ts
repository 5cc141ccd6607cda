/** Suite helpers the agreement tests share. */
export { buildRequests, loadSuite, type InstanceAgreement } from '../../../suites/index.js';
export { limitSuite as limitSuiteForTest } from '../../../runners/matrix/assemble.js';
