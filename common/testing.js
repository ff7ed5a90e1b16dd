// `@localstore/common/testing`: where the test servers are, built with the package.
module.exports = require('./dist/testing');
