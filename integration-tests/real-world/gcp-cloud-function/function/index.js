exports.greet = (req, res) => res.send(`Hello, ${req.query.name || 'world'}!`);
