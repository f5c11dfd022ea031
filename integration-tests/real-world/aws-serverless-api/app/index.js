exports.handler = async (event) => ({
    statusCode: 200,
    body: JSON.stringify({ route: event.routeKey, table: process.env.TABLE_NAME }),
});
