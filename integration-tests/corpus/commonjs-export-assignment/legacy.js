// A CommonJS module whose exports are a function, as many npm packages are.
module.exports = function greet(name) {
    return "hello " + name;
};
module.exports.version = 3;
