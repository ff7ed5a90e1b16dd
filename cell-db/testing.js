// `@localstore/cell-db/testing`: the test factories and set-up, built with the package.
module.exports = require('./dist/testing');
